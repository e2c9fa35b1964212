-- One step of an item's closure loop taken on the dashboard: a status event of no load
-- (nil run_id), with who took it and why. {at} is when, to the millisecond, in UTC.
INSERT INTO ecology_status_events (item_id, status, progress_pct, event_date, note, by, run_id, source_line, loaded_at)
SELECT {item_id:String}, {status:String}, {progress:Float32}, toDate({at:DateTime64(3, 'UTC')}), {note:String}, {by:String},
    toUUID('00000000-0000-0000-0000-000000000000'), 0, {at:DateTime64(3, 'UTC')}
