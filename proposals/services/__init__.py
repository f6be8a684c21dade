"""Proposal workflows, one module per part of the work, as the models are split: calls,
the pipeline (submission, edits, corrections, steps, folding, responses), supports and their
ladder, the debate. Import each from its module (`from proposals.services.pipeline import
proposal_move`).

The package itself holds what the privacy app reads by the app's name (`PersonalDataMixin`):
a person's copy of their data and its erasure.
"""

from .personal_data import personal_data_erase, personal_data_export

__all__ = ["personal_data_erase", "personal_data_export"]
