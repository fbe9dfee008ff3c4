"""Activities, attendance and performance records (to come with the activities issue)."""
