# A decoy: a library file with the same name as the application's, which must not win.
def charge(order_id, amount):
    return None
