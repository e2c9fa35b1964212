-- Whether any unit has submitted a report through the form (any month): where none has,
-- the campaign's figures came by file and the deadlines judge no one.
SELECT count() > 0 AS by_form
FROM report_events
WHERE action = 'submitted'
