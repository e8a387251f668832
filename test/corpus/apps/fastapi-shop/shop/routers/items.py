from fastapi import APIRouter, HTTPException

router = APIRouter(
    prefix="/items",
    tags=["items"],
)

ITEMS = {"plumbus": {"name": "Plumbus"}, "gun": {"name": "Portal Gun"}}


@router.get("/")
async def read_items():
    return ITEMS


@router.get("/{item_id}")
async def read_item(item_id: str):
    if item_id not in ITEMS:
        raise HTTPException(status_code=404, detail="Item not found")
    return {"name": ITEMS[item_id]["name"], "item_id": item_id}


@router.put("/{item_id}")
async def update_item(item_id: str):
    if item_id != "plumbus":
        raise HTTPException(status_code=403, detail="You can only update the item: plumbus")
    return {"item_id": item_id, "name": "The great Plumbus"}


@router.delete("/{item_id}")
async def delete_item(item_id: str):
    return {"deleted": item_id}
