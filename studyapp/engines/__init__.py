"""Pure-Python simulators of AWS services (standard library only; never import Django here)."""
