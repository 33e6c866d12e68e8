"""The optimised-delivery opportunity model: the six levers and the overlap rules."""
