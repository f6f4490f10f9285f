"""Reliability and security suite: the real bot process under load, faults and hostile input."""
