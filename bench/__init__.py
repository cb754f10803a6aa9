"""The benchmark (`make bench`): the production stack on this machine, driven by locust."""
