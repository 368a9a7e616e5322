-- Sources imported before 0002 carry no platform: every one of them was Amazon's.
UPDATE sources SET platform = 'amazon'
WHERE platform IS NULL AND starts_with(kind, 'amazon');
