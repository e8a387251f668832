"""Sample billing code for Trace Lens tests."""
import stripe


def charge(order_id: str, amount: int) -> str:
    """Charges the card on file."""
    if amount <= 0:
        raise ValueError(f"amount must be positive for {order_id}")
    result = stripe.Charge.create(amount=amount, currency="eur")
    return result.id
