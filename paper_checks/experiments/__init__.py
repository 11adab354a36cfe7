"""Experiment definitions, one module per family; each runs both witnesses and returns labelled results."""
