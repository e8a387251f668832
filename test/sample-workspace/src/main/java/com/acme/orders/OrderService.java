package com.acme.orders;

import java.util.List;

/** Sample Java service for Trace Lens tests. */
public class OrderService {
    private final Repository repository;

    public OrderService(Repository repository) {
        this.repository = repository;
    }

    public String placeOrder(String cartId) {
        List<String> items = repository.items(cartId);
        if (items.isEmpty()) {
            throw new IllegalStateException("empty cart " + cartId);
        }
        return repository.save(items);
    }
}
