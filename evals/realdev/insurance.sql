-- Tuning suite (realdev), NOT held-out: a hand-written property & casualty insurance claims database (PascalCase).
-- Used for tuning decisions (decoding settings, model choice); report numbers on evals/heldout instead.
CREATE TABLE PolicyHolders (
  PolicyHolderId INTEGER PRIMARY KEY,
  FirstName TEXT NOT NULL,
  LastName TEXT NOT NULL,
  DateOfBirth DATE,
  State TEXT NOT NULL, -- two-letter US state code
  Phone TEXT,
  CustomerSince DATE
);
CREATE TABLE Policies (
  PolicyId INTEGER PRIMARY KEY,
  PolicyNumber TEXT NOT NULL UNIQUE,
  PolicyHolderId INTEGER NOT NULL REFERENCES PolicyHolders(PolicyHolderId),
  LineOfBusiness TEXT NOT NULL, -- AUTO, HOME, RENT (renters), LIFE, UMB (umbrella liability)
  EffectiveDate DATE NOT NULL,
  ExpirationDate DATE NOT NULL,
  AnnualPremium REAL NOT NULL,
  Deductible REAL, -- NULL for LIFE and UMB
  Status TEXT NOT NULL -- Active, Lapsed, Cancelled, Expired
);
CREATE TABLE Adjusters (
  AdjusterId INTEGER PRIMARY KEY,
  FullName TEXT NOT NULL,
  Region TEXT NOT NULL, -- Northeast, Southeast, Midwest, West
  LicenseNo TEXT,
  SupervisorId INTEGER REFERENCES Adjusters(AdjusterId),
  IsActive INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE Claims (
  ClaimId INTEGER PRIMARY KEY,
  ClaimNumber TEXT NOT NULL UNIQUE,
  PolicyId INTEGER NOT NULL REFERENCES Policies(PolicyId),
  AdjusterId INTEGER REFERENCES Adjusters(AdjusterId), -- NULL until assigned
  LossDate DATE NOT NULL,
  ReportedDate DATE NOT NULL,
  LossType TEXT NOT NULL, -- Collision, Theft, Fire, Water, Wind, Liability
  ClaimedAmount REAL, -- NULL until the insured submits an estimate
  ReserveAmount REAL,
  Status TEXT NOT NULL, -- Open, Closed, Denied, Reopened
  FraudFlag INTEGER NOT NULL DEFAULT 0, -- 1 = referred to special investigations
  ClosedDate DATE
);
CREATE TABLE ClaimPayments (
  PaymentId INTEGER PRIMARY KEY,
  ClaimId INTEGER NOT NULL REFERENCES Claims(ClaimId),
  PaymentDate DATE NOT NULL,
  Amount REAL NOT NULL,
  PayeeType TEXT NOT NULL, -- Insured, BodyShop, Contractor, Medical, ThirdParty
  CheckNumber TEXT -- NULL for electronic transfers
);

INSERT INTO PolicyHolders VALUES
  (1, 'Michael', 'Harris', '1978-04-12', 'NY', '212-555-0141', '2012-06-01'),
  (2, 'Jennifer', 'Scott', '1985-09-30', 'NJ', '201-555-0199', '2016-03-15'),
  (3, 'David', 'Kim', '1990-01-22', 'CA', NULL, '2019-11-20'),
  (4, 'Linda', 'Perez', '1962-07-08', 'FL', '305-555-0110', '2005-02-01'),
  (5, 'Kevin', 'Wright', '1995-12-03', 'TX', '512-555-0177', '2021-08-10'),
  (6, 'Patricia', 'Evans', '1958-03-17', 'OH', '614-555-0134', '2001-09-09'),
  (7, 'Christopher', 'Lee', '1983-05-25', 'WA', '206-555-0182', '2017-07-07'),
  (8, 'Barbara', 'Young', '1970-11-11', 'GA', NULL, '2010-10-10'),
  (9, 'Anthony', 'Turner', '1988-02-14', 'IL', '312-555-0156', '2018-01-31'),
  (10, 'Susan', 'Hall', '1975-06-06', 'NY', '718-555-0123', '2014-04-04'),
  (11, 'Joshua', 'Allen', '2000-08-19', 'CA', '415-555-0165', '2022-05-05'),
  (12, 'Nancy', 'King', '1966-10-02', 'FL', '813-555-0101', '2008-12-12'),
  (13, 'Brian', 'Wright', '1981-03-03', 'TX', NULL, '2020-02-20'),
  (14, 'Karen', 'Lopez', '1992-12-24', 'AZ', '602-555-0190', '2023-01-17'),
  (15, 'Steven', 'Hill', '1955-01-30', 'OH', '216-555-0148', '1999-05-05'),
  (16, 'Michelle', 'Green', '1987-07-21', 'NJ', '973-555-0112', '2015-08-08'),
  (17, 'Eric', 'Baker', '1993-04-04', 'WA', NULL, '2021-03-03'),
  (18, 'Rachel', 'Adams', '1979-09-09', 'IL', '773-555-0171', '2011-11-11'),
  (19, 'Jason', 'Nelson', '1998-06-15', 'GA', '404-555-0133', '2024-02-01'),
  (20, 'Laura', 'Carter', '1969-02-28', 'AZ', '480-555-0159', NULL);

INSERT INTO Policies VALUES
  (1, 'AU-100101', 1, 'AUTO', '2024-01-01', '2024-12-31', 1450.00, 500, 'Active'),
  (2, 'HO-200101', 1, 'HOME', '2023-06-01', '2024-05-31', 2100.00, 1000, 'Expired'),
  (3, 'HO-200102', 1, 'HOME', '2024-06-01', '2025-05-31', 2250.00, 1000, 'Active'),
  (4, 'AU-100102', 2, 'AUTO', '2023-09-15', '2024-09-14', 1680.00, 1000, 'Active'),
  (5, 'RN-300101', 3, 'RENT', '2024-02-01', '2025-01-31', 240.00, 250, 'Active'),
  (6, 'HO-200103', 4, 'HOME', '2024-03-01', '2025-02-28', 3900.00, 2500, 'Active'),
  (7, 'AU-100103', 4, 'AUTO', '2023-03-01', '2024-02-29', 1320.00, 500, 'Lapsed'),
  (8, 'AU-100104', 5, 'AUTO', '2024-04-10', '2025-04-09', 2150.00, 1000, 'Active'),
  (9, 'LF-400101', 6, 'LIFE', '2010-01-01', '2030-12-31', 980.00, NULL, 'Active'),
  (10, 'HO-200104', 6, 'HOME', '2024-01-15', '2025-01-14', 1750.00, 1000, 'Active'),
  (11, 'AU-100105', 7, 'AUTO', '2024-07-01', '2025-06-30', 1540.00, 500, 'Active'),
  (12, 'HO-200105', 8, 'HOME', '2023-10-01', '2024-09-30', 2600.00, 2000, 'Active'),
  (13, 'UM-500101', 8, 'UMB', '2023-10-01', '2024-09-30', 410.00, NULL, 'Active'),
  (14, 'AU-100106', 9, 'AUTO', '2023-12-01', '2024-11-30', 1890.00, 1000, 'Cancelled'),
  (15, 'AU-100107', 10, 'AUTO', '2024-02-15', '2025-02-14', 1760.00, 500, 'Active'),
  (16, 'HO-200106', 10, 'HOME', '2024-02-15', '2025-02-14', 2480.00, 1000, 'Active'),
  (17, 'RN-300102', 11, 'RENT', '2024-05-01', '2025-04-30', 180.00, 500, 'Active'),
  (18, 'HO-200107', 12, 'HOME', '2022-04-01', '2023-03-31', 3400.00, 2500, 'Expired'),
  (19, 'AU-100108', 13, 'AUTO', '2024-01-20', '2025-01-19', 2050.00, 1000, 'Active'),
  (20, 'RN-300103', 14, 'RENT', '2023-02-01', '2024-01-31', 200.00, 250, 'Lapsed'),
  (21, 'LF-400102', 15, 'LIFE', '2005-05-05', '2025-05-04', 1200.00, NULL, 'Active'),
  (22, 'AU-100109', 15, 'AUTO', '2024-03-01', '2025-02-28', 1100.00, 500, 'Active'),
  (23, 'HO-200108', 16, 'HOME', '2024-08-01', '2025-07-31', 2300.00, 1000, 'Active'),
  (24, 'AU-100110', 17, 'AUTO', '2024-05-20', '2025-05-19', 2400.00, 250, 'Active'),
  (25, 'AU-100111', 18, 'AUTO', '2024-01-01', '2024-12-31', 1600.00, 500, 'Active'),
  (26, 'UM-500102', 18, 'UMB', '2024-01-01', '2024-12-31', 380.00, NULL, 'Active'),
  (27, 'AU-100112', 19, 'AUTO', '2024-02-01', '2025-01-31', 2700.00, 500, 'Active'),
  (28, 'HO-200109', 2, 'HOME', '2024-04-01', '2025-03-31', 1950.00, 1000, 'Active'),
  (29, 'LF-400103', 10, 'LIFE', '2018-09-01', '2038-08-31', 640.00, NULL, 'Active'),
  (30, 'AU-100113', 3, 'AUTO', '2024-06-15', '2025-06-14', 1980.00, 1000, 'Active');

INSERT INTO Adjusters VALUES
  (1, 'Margaret Chen', 'Northeast', 'NY-ADJ-4471', NULL, 1),
  (2, 'Tom Becker', 'Northeast', 'NY-ADJ-5523', 1, 1),
  (3, 'Alicia Ramos', 'Northeast', 'NJ-ADJ-1180', 1, 1),
  (4, 'Raymond Foster', 'Southeast', 'FL-ADJ-9902', NULL, 1),
  (5, 'Denise Ward', 'Southeast', 'GA-ADJ-3310', 4, 1),
  (6, 'Paul Jensen', 'Midwest', 'OH-ADJ-7781', NULL, 1),
  (7, 'Kelly Moore', 'Midwest', NULL, 6, 1),
  (8, 'Victor Reyes', 'West', 'CA-ADJ-2290', NULL, 1),
  (9, 'Hannah Price', 'West', 'WA-ADJ-6654', 8, 1),
  (10, 'Gary Olsen', 'Southeast', 'FL-ADJ-1203', 4, 0),
  (11, 'Sandra Cole', 'West', 'AZ-ADJ-8841', 8, 1);

INSERT INTO Claims VALUES
  (1, 'CLM-23-0412', 7, 5, '2023-08-14', '2023-08-15', 'Collision', 6200.00, 0, 'Closed', 0, '2023-09-20'),
  (2, 'CLM-22-0518', 18, 10, '2022-09-28', '2022-10-02', 'Wind', 28500.00, 0, 'Closed', 0, '2023-01-15'),
  (3, 'CLM-23-0601', 2, 2, '2023-11-03', '2023-11-04', 'Water', 12400.00, 0, 'Closed', 0, '2024-01-10'),
  (4, 'CLM-24-0007', 1, 2, '2024-01-09', '2024-01-10', 'Collision', 3800.00, 0, 'Closed', 0, '2024-02-02'),
  (5, 'CLM-24-0015', 4, 3, '2024-01-21', '2024-01-22', 'Theft', 18000.00, 0, 'Denied', 1, '2024-03-15'),
  (6, 'CLM-24-0022', 6, 4, '2024-03-10', '2024-03-12', 'Water', 9600.00, 2000, 'Open', 0, NULL),
  (7, 'CLM-24-0031', 8, NULL, '2024-05-02', '2024-05-03', 'Collision', 4200.00, 4200, 'Open', 0, NULL),
  (8, 'CLM-24-0034', 10, 7, '2024-02-18', '2024-02-20', 'Fire', 45000.00, 0, 'Closed', 0, '2024-05-30'),
  (9, 'CLM-24-0040', 12, 5, '2024-03-28', '2024-04-01', 'Wind', 15200.00, 6000, 'Open', 0, NULL),
  (10, 'CLM-24-0041', 13, 5, '2024-03-28', '2024-04-01', 'Liability', 50000.00, 50000, 'Open', 0, NULL),
  (11, 'CLM-24-0046', 15, 1, '2024-04-02', '2024-04-02', 'Collision', 2100.00, 0, 'Closed', 0, '2024-04-25'),
  (12, 'CLM-24-0047', 16, 2, '2024-04-20', '2024-04-22', 'Theft', 7300.00, 0, 'Closed', 0, '2024-06-05'),
  (13, 'CLM-24-0052', 14, 6, '2024-01-05', '2024-01-08', 'Collision', 5400.00, 0, 'Denied', 0, '2024-02-01'),
  (14, 'CLM-24-0058', 19, NULL, '2024-06-01', '2024-06-10', 'Theft', 22000.00, NULL, 'Open', 1, NULL),
  (15, 'CLM-24-0063', 22, 7, '2024-02-11', '2024-02-12', 'Collision', 3100.00, 0, 'Closed', 0, '2024-03-01'),
  (16, 'CLM-24-0066', 24, 9, '2024-06-02', '2024-06-03', 'Collision', 8800.00, 3000, 'Open', 0, NULL),
  (17, 'CLM-24-0070', 25, 6, '2024-03-15', '2024-03-16', 'Collision', 1900.00, 0, 'Closed', 0, '2024-04-02'),
  (18, 'CLM-24-0071', 26, 6, '2024-03-15', '2024-03-18', 'Liability', 120000.00, 0, 'Closed', 0, '2024-07-10'),
  (19, 'CLM-24-0075', 27, 5, '2024-04-14', '2024-04-14', 'Collision', 11500.00, 0, 'Closed', 0, '2024-05-20'),
  (20, 'CLM-24-0079', 27, 5, '2024-05-30', '2024-06-01', 'Theft', 26000.00, 26000, 'Open', 1, NULL),
  (21, 'CLM-24-0083', 28, 3, '2024-05-05', '2024-05-06', 'Water', 6700.00, 0, 'Closed', 0, '2024-06-20'),
  (22, 'CLM-24-0088', 5, 8, '2024-04-28', '2024-04-29', 'Theft', 2400.00, 0, 'Closed', 0, '2024-05-15'),
  (23, 'CLM-24-0090', 11, 9, '2024-07-12', '2024-07-13', 'Collision', 5200.00, 5200, 'Open', 0, NULL),
  (24, 'CLM-24-0092', 30, 8, '2024-07-03', '2024-07-05', 'Collision', 3300.00, 0, 'Closed', 0, '2024-07-30'),
  (25, 'CLM-24-0095', 17, 8, '2024-06-20', '2024-06-21', 'Water', 1500.00, 0, 'Denied', 0, '2024-07-01'),
  (26, 'CLM-24-0097', 3, 2, '2024-07-08', '2024-07-09', 'Water', 18900.00, 12000, 'Reopened', 0, NULL),
  (27, 'CLM-24-0099', 1, 1, '2024-07-15', '2024-07-16', 'Liability', 9500.00, 9500, 'Open', 0, NULL),
  (28, 'CLM-24-0101', 19, 5, '2024-07-20', '2024-07-22', 'Collision', NULL, NULL, 'Open', 0, NULL);

INSERT INTO ClaimPayments VALUES
  (1, 1, '2023-09-01', 5700.00, 'BodyShop', 'CK-88101'),
  (2, 2, '2022-11-15', 15000.00, 'Contractor', 'CK-77012'),
  (3, 2, '2023-01-10', 11000.00, 'Contractor', 'CK-77455'),
  (4, 3, '2023-12-05', 8000.00, 'Contractor', 'CK-89010'),
  (5, 3, '2024-01-08', 3400.00, 'Insured', 'CK-90022'),
  (6, 4, '2024-01-30', 3300.00, 'BodyShop', NULL),
  (7, 6, '2024-04-15', 4000.00, 'Contractor', 'CK-91507'),
  (8, 8, '2024-03-10', 20000.00, 'Contractor', 'CK-90877'),
  (9, 8, '2024-04-22', 18500.00, 'Contractor', 'CK-91688'),
  (10, 8, '2024-05-28', 4000.00, 'Insured', NULL),
  (11, 9, '2024-05-02', 6000.00, 'Contractor', 'CK-92103'),
  (12, 11, '2024-04-20', 1600.00, 'BodyShop', NULL),
  (13, 12, '2024-06-01', 6300.00, 'Insured', 'CK-92870'),
  (14, 15, '2024-02-27', 2600.00, 'BodyShop', NULL),
  (15, 17, '2024-03-29', 1400.00, 'BodyShop', NULL),
  (16, 18, '2024-05-15', 60000.00, 'ThirdParty', 'CK-92550'),
  (17, 18, '2024-07-08', 45000.00, 'ThirdParty', 'CK-93388'),
  (18, 18, '2024-07-08', 8500.00, 'Medical', 'CK-93389'),
  (19, 19, '2024-05-10', 11000.00, 'BodyShop', NULL),
  (20, 21, '2024-06-14', 5700.00, 'Contractor', 'CK-93010'),
  (21, 22, '2024-05-10', 2150.00, 'Insured', NULL),
  (22, 24, '2024-07-25', 2300.00, 'BodyShop', NULL),
  (23, 26, '2024-07-20', 5000.00, 'Insured', 'CK-93601'),
  (24, 16, '2024-06-20', 2500.00, 'Medical', 'CK-93120'),
  (25, 10, '2024-06-30', 7500.00, 'Medical', 'CK-93250'),
  (26, 17, '2024-04-10', 650.00, 'Insured', NULL);
