"""Writing plans: the ``planner.schedule/1`` JSON document and the timetable."""
