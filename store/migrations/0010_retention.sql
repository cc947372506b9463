-- The nightly retention purge (ID-5) asks, for every file under the photo
-- folder, whether a photo record still names it; and forgets a photo only
-- after clearing the case events that point at it.
CREATE INDEX photos_sha256 ON photos(sha256);
CREATE INDEX case_events_photo ON case_events(photo_id) WHERE photo_id IS NOT NULL;
