"""The hub: one poller per installation publishes to Redis; any number of viewers subscribe."""
