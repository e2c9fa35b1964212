-- Whether any unit has submitted its report of the month ('2024-12') through the form: where
-- none has, that month's campaign figures came by file and the deadlines judge no one.
SELECT count() > 0 AS by_form
FROM report_events
WHERE action = 'submitted' AND month = toDate(concat({month:String}, '-01'))
