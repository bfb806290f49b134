"""Procedure content (data/*.yaml), portal deep links and how a guide is written out."""
