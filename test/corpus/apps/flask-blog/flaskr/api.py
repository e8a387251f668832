from flask import Blueprint, jsonify, request

api = Blueprint("api", __name__)


@api.get("/posts/<int:post_id>")
def read_post(post_id):
    return jsonify({"id": post_id})


@api.post("/posts")
def write_post():
    return jsonify(request.get_json(silent=True) or {}), 201


@api.route("/posts/<int:post_id>", methods=["DELETE"])
def remove_post(post_id):
    return "", 204
