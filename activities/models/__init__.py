"""Models of deputies' activities (履职活动), reception days and duty rosters, and campaigns.

One module per part; each is imported here so Django finds the models.
"""
