from fastapi import APIRouter
from fastapi.testclient import TestClient

from shop.main import app

client = TestClient(app)

# A stub router in test code declaring the app's path: never where a span maps.
stub = APIRouter(prefix="/api/items")


@stub.get("/{item_id}")
async def read_item_stub(item_id: str):
    return {}


def test_read_item():
    response = client.get("/api/items/plumbus")
    assert response.status_code == 200
