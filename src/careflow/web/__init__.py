"""careflow in the browser: FastAPI pages and a JSON API over the same use cases as the command line."""
