"""The stochastic flow model: parameters, engine, scenarios, Monte Carlo, waterfall, sweeps."""
