import GRDB

/// The schema, as an ordered list of migrations. Never edit a shipped migration: append a new one.
enum SQLiteMigrations {
    /// Identifiers of every migration, in order.
    static var identifiers: [String] {
        ["v1-core", UserProfileMigration.identifier, UsageDetailMigration.identifier, DocumentFileMigration.identifier,
            InternalClientMigration.identifier]
    }

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core") { db in
            try db.execute(sql: coreSchema)
        }
        migrator.registerMigration(UserProfileMigration.identifier, migrate: UserProfileMigration.migrate)
        migrator.registerMigration(UsageDetailMigration.identifier, migrate: UsageDetailMigration.migrate)
        migrator.registerMigration(DocumentFileMigration.identifier, migrate: DocumentFileMigration.migrate)
        migrator.registerMigration(InternalClientMigration.identifier, migrate: InternalClientMigration.migrate)
        migrator.registerMigration(UsageRollupMigration.identifier, migrate: UsageRollupMigration.migrate)
        migrator.registerMigration(RevokedAPIKeyMigration.identifier, migrate: RevokedAPIKeyMigration.migrate)
        migrator.registerMigration(UsageDimensionMigration.identifier, migrate: UsageDimensionMigration.migrate)
        migrator.registerMigration(APIRevisionMigration.identifier, migrate: APIRevisionMigration.migrate)
        migrator.registerMigration(APICatalogMigration.identifier, migrate: APICatalogMigration.migrate)
        migrator.registerMigration(ConsumerSecretMigration.identifier, migrate: ConsumerSecretMigration.migrate)
        migrator.registerMigration(PublisherObjectMigration.identifier, migrate: PublisherObjectMigration.migrate)
        migrator.registerMigration(BlockingConditionMigration.identifier, migrate: BlockingConditionMigration.migrate)
        migrator.registerMigration(RoleAliasMigration.identifier, migrate: RoleAliasMigration.migrate)
        migrator.registerMigration(BotAccessMigration.identifier, migrate: BotAccessMigration.migrate)
        return migrator
    }

    // Times are REAL seconds since 1970 so range queries (expiry, usage windows) stay index-friendly.
    private static let coreSchema = """
        CREATE TABLE roles (
            name TEXT PRIMARY KEY NOT NULL,
            scopes TEXT NOT NULL
        );
        CREATE TABLE users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            email TEXT,
            created_at REAL NOT NULL
        );
        CREATE TABLE user_roles (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role_name TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE,
            PRIMARY KEY (user_id, role_name)
        );

        CREATE TABLE apis (
            id TEXT PRIMARY KEY NOT NULL,
            provider TEXT NOT NULL,
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            context TEXT NOT NULL,
            description TEXT,
            lifecycle_state TEXT NOT NULL,
            visibility TEXT NOT NULL DEFAULT 'PUBLIC',
            is_default_version INTEGER NOT NULL DEFAULT 0,
            definition BLOB,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (provider, name, version),
            UNIQUE (context, version)
        );
        CREATE TABLE api_tags (
            api_id TEXT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
            tag TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (api_id, tag)
        );
        CREATE INDEX api_tags_by_tag ON api_tags(tag);
        CREATE TABLE api_resources (
            api_id TEXT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
            http_method TEXT NOT NULL,
            url_pattern TEXT NOT NULL,
            auth_type TEXT NOT NULL DEFAULT 'Any',
            throttling_tier TEXT NOT NULL DEFAULT 'Unlimited',
            scopes TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (api_id, http_method, url_pattern)
        );
        CREATE TABLE api_lifecycle_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            api_id TEXT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
            previous_state TEXT,
            new_state TEXT NOT NULL,
            action TEXT,
            actor TEXT NOT NULL,
            changed_at REAL NOT NULL
        );
        CREATE INDEX api_lifecycle_history_by_api ON api_lifecycle_history(api_id, id);
        CREATE TABLE api_documents (
            id TEXT PRIMARY KEY NOT NULL,
            api_id TEXT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            source_type TEXT NOT NULL,
            summary TEXT,
            source_url TEXT,
            content BLOB,
            content_type TEXT,
            visibility TEXT NOT NULL DEFAULT 'API_LEVEL',
            created_by TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (api_id, name)
        );
        CREATE TABLE api_ratings (
            api_id TEXT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
            username TEXT NOT NULL COLLATE NOCASE,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
            rated_at REAL NOT NULL,
            PRIMARY KEY (api_id, username)
        );
        CREATE TABLE api_comments (
            id TEXT PRIMARY KEY NOT NULL,
            api_id TEXT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
            parent_id TEXT REFERENCES api_comments(id) ON DELETE CASCADE,
            username TEXT NOT NULL,
            content TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE INDEX api_comments_by_api ON api_comments(api_id, created_at);

        CREATE TABLE applications (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            owner TEXT NOT NULL COLLATE NOCASE,
            throttling_tier TEXT NOT NULL,
            description TEXT,
            token_type TEXT NOT NULL DEFAULT 'OAUTH',
            status TEXT NOT NULL DEFAULT 'APPROVED',
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (owner, name)
        );
        CREATE TABLE consumer_keys (
            consumer_key TEXT PRIMARY KEY NOT NULL,
            application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
            key_type TEXT NOT NULL CHECK (key_type IN ('PRODUCTION', 'SANDBOX')),
            secret_hash BLOB NOT NULL,
            grant_types TEXT NOT NULL,
            callback_url TEXT,
            state TEXT NOT NULL DEFAULT 'ACTIVE',
            created_at REAL NOT NULL,
            UNIQUE (application_id, key_type)
        );
        -- No uniqueness on (client, user, scope): concurrent grants each get their own token
        -- (WSO2's CON_APP_KEY constraint makes such requests fail).
        CREATE TABLE tokens (
            token_hash BLOB PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('ACCESS', 'REFRESH')),
            family_id TEXT NOT NULL,
            consumer_key TEXT NOT NULL REFERENCES consumer_keys(consumer_key) ON DELETE CASCADE,
            username TEXT NOT NULL,
            scopes TEXT NOT NULL,
            grant_type TEXT NOT NULL,
            issued_at REAL NOT NULL,
            expires_at REAL,
            state TEXT NOT NULL
        );
        CREATE INDEX tokens_by_family ON tokens(family_id);
        CREATE INDEX tokens_by_expiry ON tokens(expires_at);
        CREATE INDEX tokens_by_consumer_key ON tokens(consumer_key);
        CREATE TABLE subscriptions (
            id TEXT PRIMARY KEY NOT NULL,
            application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
            api_id TEXT REFERENCES apis(id) ON DELETE CASCADE,
            api_context TEXT NOT NULL,
            api_version TEXT NOT NULL,
            api_name TEXT,
            api_provider TEXT,
            tier TEXT NOT NULL,
            status TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 1,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (application_id, api_context, api_version)
        );
        CREATE INDEX subscriptions_by_api ON subscriptions(api_context, api_version);

        CREATE TABLE throttling_policies (
            level TEXT NOT NULL CHECK (level IN ('subscription', 'application', 'resource', 'api')),
            name TEXT NOT NULL,
            max_count INTEGER,
            unit_time INTEGER NOT NULL,
            burst_limit INTEGER,
            burst_unit_time INTEGER,
            billing_plan TEXT,
            stop_on_quota_reach INTEGER NOT NULL DEFAULT 1,
            description TEXT,
            attributes TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (level, name)
        );

        CREATE TABLE usage_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            request_time REAL NOT NULL,
            api_id TEXT,
            api_name TEXT NOT NULL,
            api_context TEXT NOT NULL,
            api_version TEXT NOT NULL,
            api_provider TEXT,
            resource TEXT NOT NULL,
            http_method TEXT NOT NULL,
            consumer_key TEXT,
            application_id TEXT,
            application_name TEXT,
            application_owner TEXT,
            username TEXT,
            key_type TEXT,
            response_code INTEGER,
            response_time_ms REAL,
            backend_time_ms REAL,
            response_size INTEGER,
            throttled_out INTEGER NOT NULL DEFAULT 0,
            throttled_out_reason TEXT,
            error_code INTEGER,
            client_ip TEXT,
            user_agent TEXT,
            gateway_host TEXT
        );
        CREATE INDEX usage_events_by_time ON usage_events(request_time);
        CREATE TABLE usage_aggregates (
            granularity TEXT NOT NULL CHECK (granularity IN ('MINUTE', 'HOUR', 'DAY')),
            period_start REAL NOT NULL,
            api_context TEXT NOT NULL,
            api_version TEXT NOT NULL,
            resource TEXT NOT NULL,
            http_method TEXT NOT NULL,
            application_id TEXT NOT NULL DEFAULT '',
            username TEXT NOT NULL DEFAULT '',
            request_count INTEGER NOT NULL DEFAULT 0,
            fault_count INTEGER NOT NULL DEFAULT 0,
            throttled_count INTEGER NOT NULL DEFAULT 0,
            total_response_time_ms REAL NOT NULL DEFAULT 0,
            max_response_time_ms REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (granularity, period_start, api_context, api_version, resource, http_method,
                         application_id, username)
        );
        """
}
