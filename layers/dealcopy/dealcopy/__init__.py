"""amo-dealcopy shared layer: amoCRM client, storage adapters, domain services."""
