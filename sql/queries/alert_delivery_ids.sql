-- The deliveries one alert has already caused (an evaluation repeated at the same data
-- version adds none).
SELECT DISTINCT id
FROM alert_deliveries
WHERE alert_id = {alert_id:String}
