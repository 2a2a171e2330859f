-- Content pages (terms, privacy, FAQ, ...) and guides (articles), one row
-- per language version. body is Markdown (HTML inside it is allowed and
-- sanitised when rendered). source names where an imported row came from
-- ("wp:123"), so a second import updates it instead of adding a copy;
-- placeholder marks seeded text the operator has not replaced yet.
CREATE TABLE content (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL CHECK (kind IN ('page', 'guide')),
	slug         TEXT NOT NULL,
	lang         TEXT NOT NULL,
	title        TEXT NOT NULL,
	description  TEXT NOT NULL DEFAULT '',
	body         TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL CHECK (status IN ('draft', 'published')),
	placeholder  INTEGER NOT NULL DEFAULT 0 CHECK (placeholder IN (0, 1)),
	source       TEXT NOT NULL DEFAULT '',
	created_at   DATETIME NOT NULL,
	updated_at   DATETIME NOT NULL,
	published_at DATETIME,
	UNIQUE (kind, slug, lang)
);
CREATE UNIQUE INDEX content_source ON content (source, lang) WHERE source <> '';

-- Old URLs (a WordPress site's, mostly) sent somewhere on this shop.
-- from_path is a path with, for WordPress's ?p= and ?page_id= links, its
-- query; to_path a path on this shop.
CREATE TABLE redirects (
	from_path  TEXT PRIMARY KEY,
	to_path    TEXT NOT NULL,
	status     INTEGER NOT NULL CHECK (status IN (301, 302)),
	source     TEXT NOT NULL DEFAULT '',
	created_at DATETIME NOT NULL
);

-- The paths buyers and crawlers hit that answered 404, so the operator can
-- redirect them. Bounded by the store (oldest, least-hit rows go first).
CREATE TABLE not_found (
	path       TEXT PRIMARY KEY,
	hits       INTEGER NOT NULL CHECK (hits > 0),
	first_seen DATETIME NOT NULL,
	last_seen  DATETIME NOT NULL
);
CREATE INDEX not_found_seen ON not_found (last_seen);
