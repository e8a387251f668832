import pytest
from flaskr import create_app


@pytest.fixture
def client():
    app = create_app()
    app.config.update({"TESTING": True})

    # A test-only route with the same path as the app's: a declaration in tests never maps a span.
    @app.route("/hello")
    def hello():
        return "test"

    return app.test_client()
