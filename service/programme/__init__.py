"""The programme: enrolment, plans, sending hours, the planner's tick, reminders, broadcasts."""
