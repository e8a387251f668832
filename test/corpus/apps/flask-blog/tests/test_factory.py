from flaskr import create_app


def test_hello(client):
    response = client.get("/hello")
    assert response.data == b"Hello, World!"


def test_login(client):
    assert client.get("/auth/login").status_code == 200
    assert client.post("/api/v1/posts").status_code == 201
