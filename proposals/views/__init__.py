"""The proposals' pages, one module per part of the work, as the models and services are split."""
