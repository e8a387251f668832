"""A Flask blog in the shape of Flask's own tutorial (flaskr): an app factory, blueprints with and without a
url_prefix, a blueprint registered under a prefix, and an inline view."""
from flask import Flask

API_PREFIX = "/api/v1"


def create_app():
    app = Flask(__name__)

    from . import auth, blog
    from .api import api as api_blueprint

    app.register_blueprint(auth.bp)
    app.register_blueprint(blog.bp)
    app.register_blueprint(api_blueprint, url_prefix=API_PREFIX)

    @app.route("/hello")
    def hello():
        return "Hello, World!"

    return app
