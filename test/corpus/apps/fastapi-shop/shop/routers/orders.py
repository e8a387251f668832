from fastapi import APIRouter

router = APIRouter()


@router.post("/orders")
async def create_order():
    return {"order": 1}


@router.get("/orders/{order_id}")
async def read_order(order_id: int):
    if order_id == 13:
        raise ValueError(f"order {order_id} is cursed")
    return {"order": order_id}
