-- 0004 reference data: parties (nations, NATO bodies, the supplier, the recipient), the UDCG
-- capability areas and their lead nations. The rows are loaded here, so every fresh database
-- has them; an admin may later edit a party's names and currency (versioned, audited).
-- The vocabularies are mirrored in src/core/reference.ts (PARTY_KINDS, CAPABILITY_AREA_CODES).

CREATE TABLE party (
  -- ISO 3166 alpha-3 for a nation ('NLD'); 'NATO-HQ', 'SHAPE', 'NSATU' for NATO bodies.
  id          text        PRIMARY KEY CHECK (id ~ '^[A-Z][A-Z0-9-]{1,19}$'),
  kind        text        NOT NULL
                          CHECK (kind IN ('ally', 'partner', 'nato_body', 'recipient', 'supplier')),
  nato_member boolean     NOT NULL,
  name_en     text        NOT NULL CHECK (length(btrim(name_en)) BETWEEN 1 AND 200),
  name_fr     text        NOT NULL CHECK (length(btrim(name_fr)) BETWEEN 1 AND 200),
  -- Ukrainian names are written in Cyrillic.
  name_uk     text        NOT NULL CHECK (length(btrim(name_uk)) BETWEEN 1 AND 200
                                          AND name_uk !~ '[A-Za-z]'),
  -- The currency its contributions are usually announced in.
  currency    char(3)     NOT NULL REFERENCES currency (code),
  version     integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  -- An ally is a NATO member; partners, NATO bodies and the recipient are not. The supplier
  -- (the United States) is both the seller and a NATO ally.
  CONSTRAINT party_kind_membership CHECK (
    (kind <> 'ally' OR nato_member)
    AND (kind NOT IN ('partner', 'nato_body', 'recipient') OR NOT nato_member)
  )
);

CREATE TABLE capability_area (
  code        text     PRIMARY KEY CHECK (code IN ('air_force', 'air_missile_defence',
                         'artillery', 'armour', 'maritime', 'it', 'demining', 'drones',
                         'sustainment', 'other')),
  -- One of the eight UDCG capability coalitions (false for sustainment and other).
  coalition   boolean  NOT NULL,
  name_en     text     NOT NULL CHECK (length(btrim(name_en)) BETWEEN 1 AND 200),
  name_fr     text     NOT NULL CHECK (length(btrim(name_fr)) BETWEEN 1 AND 200),
  name_uk     text     NOT NULL CHECK (length(btrim(name_uk)) BETWEEN 1 AND 200
                                       AND name_uk !~ '[A-Za-z]'),
  sort_order  smallint NOT NULL UNIQUE
);

CREATE TABLE capability_area_lead (
  area_code  text NOT NULL REFERENCES capability_area (code),
  party_id   text NOT NULL REFERENCES party (id),
  PRIMARY KEY (area_code, party_id)
);
CREATE INDEX capability_area_lead_party ON capability_area_lead (party_id);

-- The 32 NATO allies (Finland 2023, Sweden 2024). The United States is the supplier: it sells
-- the equipment, and it is a NATO ally too. Bulgaria adopted the euro on 2026-01-01.
INSERT INTO party (id, kind, nato_member, name_en, name_fr, name_uk, currency) VALUES
  ('ALB', 'ally', true, 'Albania', 'Albanie', 'Албанія', 'ALL'),
  ('BEL', 'ally', true, 'Belgium', 'Belgique', 'Бельгія', 'EUR'),
  ('BGR', 'ally', true, 'Bulgaria', 'Bulgarie', 'Болгарія', 'EUR'),
  ('CAN', 'ally', true, 'Canada', 'Canada', 'Канада', 'CAD'),
  ('HRV', 'ally', true, 'Croatia', 'Croatie', 'Хорватія', 'EUR'),
  ('CZE', 'ally', true, 'Czechia', 'Tchéquie', 'Чехія', 'CZK'),
  ('DNK', 'ally', true, 'Denmark', 'Danemark', 'Данія', 'DKK'),
  ('EST', 'ally', true, 'Estonia', 'Estonie', 'Естонія', 'EUR'),
  ('FIN', 'ally', true, 'Finland', 'Finlande', 'Фінляндія', 'EUR'),
  ('FRA', 'ally', true, 'France', 'France', 'Франція', 'EUR'),
  ('DEU', 'ally', true, 'Germany', 'Allemagne', 'Німеччина', 'EUR'),
  ('GRC', 'ally', true, 'Greece', 'Grèce', 'Греція', 'EUR'),
  ('HUN', 'ally', true, 'Hungary', 'Hongrie', 'Угорщина', 'HUF'),
  ('ISL', 'ally', true, 'Iceland', 'Islande', 'Ісландія', 'ISK'),
  ('ITA', 'ally', true, 'Italy', 'Italie', 'Італія', 'EUR'),
  ('LVA', 'ally', true, 'Latvia', 'Lettonie', 'Латвія', 'EUR'),
  ('LTU', 'ally', true, 'Lithuania', 'Lituanie', 'Литва', 'EUR'),
  ('LUX', 'ally', true, 'Luxembourg', 'Luxembourg', 'Люксембург', 'EUR'),
  ('MNE', 'ally', true, 'Montenegro', 'Monténégro', 'Чорногорія', 'EUR'),
  ('NLD', 'ally', true, 'Netherlands', 'Pays-Bas', 'Нідерланди', 'EUR'),
  ('MKD', 'ally', true, 'North Macedonia', 'Macédoine du Nord', 'Північна Македонія', 'MKD'),
  ('NOR', 'ally', true, 'Norway', 'Norvège', 'Норвегія', 'NOK'),
  ('POL', 'ally', true, 'Poland', 'Pologne', 'Польща', 'PLN'),
  ('PRT', 'ally', true, 'Portugal', 'Portugal', 'Португалія', 'EUR'),
  ('ROU', 'ally', true, 'Romania', 'Roumanie', 'Румунія', 'RON'),
  ('SVK', 'ally', true, 'Slovakia', 'Slovaquie', 'Словаччина', 'EUR'),
  ('SVN', 'ally', true, 'Slovenia', 'Slovénie', 'Словенія', 'EUR'),
  ('ESP', 'ally', true, 'Spain', 'Espagne', 'Іспанія', 'EUR'),
  ('SWE', 'ally', true, 'Sweden', 'Suède', 'Швеція', 'SEK'),
  ('TUR', 'ally', true, 'Türkiye', 'Turquie', 'Туреччина', 'TRY'),
  ('GBR', 'ally', true, 'United Kingdom', 'Royaume-Uni', 'Велика Британія', 'GBP'),
  ('USA', 'supplier', true, 'United States', 'États-Unis', 'Сполучені Штати', 'USD'),
  -- Partners outside NATO.
  ('AUS', 'partner', false, 'Australia', 'Australie', 'Австралія', 'AUD'),
  ('NZL', 'partner', false, 'New Zealand', 'Nouvelle-Zélande', 'Нова Зеландія', 'NZD'),
  ('JPN', 'partner', false, 'Japan', 'Japon', 'Японія', 'JPY'),
  ('KOR', 'partner', false, 'Republic of Korea', 'République de Corée', 'Республіка Корея', 'KRW'),
  ('IRL', 'partner', false, 'Ireland', 'Irlande', 'Ірландія', 'EUR'),
  ('AUT', 'partner', false, 'Austria', 'Autriche', 'Австрія', 'EUR'),
  ('CHE', 'partner', false, 'Switzerland', 'Suisse', 'Швейцарія', 'CHF'),
  -- NATO bodies.
  ('NATO-HQ', 'nato_body', false, 'NATO Headquarters', 'Siège de l''OTAN',
   'Штаб-квартира НАТО', 'EUR'),
  ('SHAPE', 'nato_body', false, 'Supreme Headquarters Allied Powers Europe',
   'Grand Quartier général des puissances alliées en Europe',
   'Штаб Верховного головнокомандувача Об''єднаних збройних сил НАТО в Європі', 'EUR'),
  ('NSATU', 'nato_body', false, 'NATO Security Assistance and Training for Ukraine',
   'Programme OTAN de formation et d''assistance à la sécurité en faveur de l''Ukraine',
   'Безпекова допомога та навчання НАТО для України', 'EUR'),
  -- The recipient.
  ('UKR', 'recipient', false, 'Ukraine', 'Ukraine', 'Україна', 'UAH');

INSERT INTO capability_area (code, coalition, name_en, name_fr, name_uk, sort_order) VALUES
  ('air_force', true, 'Air force', 'Force aérienne', 'Повітряні сили', 1),
  ('air_missile_defence', true, 'Air and missile defence', 'Défense aérienne et antimissile',
   'Протиповітряна і протиракетна оборона', 2),
  ('artillery', true, 'Artillery', 'Artillerie', 'Артилерія', 3),
  ('armour', true, 'Armour', 'Blindés', 'Бронетехніка', 4),
  ('maritime', true, 'Maritime', 'Capacités maritimes', 'Морські спроможності', 5),
  ('it', true, 'IT', 'Technologies de l''information', 'Інформаційні технології', 6),
  ('demining', true, 'Demining', 'Déminage', 'Розмінування', 7),
  ('drones', true, 'Drones', 'Drones', 'Дрони', 8),
  ('sustainment', false, 'Sustainment', 'Soutien logistique', 'Матеріально-технічне забезпечення', 9),
  ('other', false, 'Other', 'Autre', 'Інше', 10);

-- Lead nations of the capability coalitions, as publicly reported.
INSERT INTO capability_area_lead (area_code, party_id) VALUES
  ('air_force', 'USA'), ('air_force', 'DNK'), ('air_force', 'NLD'),
  ('air_missile_defence', 'FRA'), ('air_missile_defence', 'DEU'),
  ('artillery', 'FRA'), ('artillery', 'USA'),
  ('armour', 'POL'), ('armour', 'DEU'),
  ('maritime', 'GBR'), ('maritime', 'NOR'),
  ('it', 'EST'), ('it', 'LUX'),
  ('demining', 'LTU'), ('demining', 'ISL'),
  ('drones', 'LVA'), ('drones', 'GBR');
