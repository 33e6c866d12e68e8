"""Case reviews and the outcomes-based performance framework."""
