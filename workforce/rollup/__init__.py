"""National roll-up: every ICS solved (independently or as one coupled plan), recorded, schedulable."""
