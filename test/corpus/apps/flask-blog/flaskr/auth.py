from flask import Blueprint, request, redirect

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/register", methods=("GET", "POST"))
def register():
    if request.method == "POST":
        return redirect("/auth/login")
    return "register form"


@bp.route("/login", methods=("GET", "POST"))
def login():
    if request.method == "POST" and request.form.get("password") != "secret":
        return "Incorrect password.", 401
    return "login form"


@bp.route("/logout")
def logout():
    return redirect("/")
