"""A FastAPI service in the shape of the "bigger applications" layout: routers with their own prefixes,
included under an API prefix, and a route on the app itself."""
from fastapi import FastAPI

from .routers import items, users
from .routers.orders import router as orders_router

app = FastAPI()

app.include_router(users.router, prefix="/api")
app.include_router(items.router, prefix="/api")
app.include_router(orders_router, prefix="/api/v2")


@app.get("/health")
async def health():
    return {"status": "ok"}
