from flask import Blueprint, abort

bp = Blueprint("blog", __name__)

POSTS = {1: "Hello", 2: "Second post"}


@bp.route("/")
def index():
    return ", ".join(POSTS.values())


@bp.route("/create", methods=("GET", "POST"))
def create():
    return "created"


def get_post(id):
    if id not in POSTS:
        abort(404, f"Post id {id} doesn't exist.")
    return POSTS[id]


@bp.route("/<int:id>/update", methods=("GET", "POST"))
def update(id):
    return f"update {get_post(id)}"


@bp.route("/<int:id>/delete", methods=("POST",))
def delete(id):
    post = get_post(id)
    if id == 2:
        raise ValueError(f"post {id} is locked")
    return f"deleted {post}"
