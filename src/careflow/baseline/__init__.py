"""The council baseline: schema, loaders, validation and the built-in baselines."""
