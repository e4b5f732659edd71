"""Across documents: copies and near copies, events grouped from their reports,
figures compared. Pure functions on records; the store calls them."""
