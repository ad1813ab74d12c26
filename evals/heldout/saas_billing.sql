-- Held-out suite: a B2B SaaS billing database (PascalCase, as exported from an ORM).
-- Written by hand; never produced by the data generator and never used for training.
CREATE TABLE Plans (
  PlanId INTEGER PRIMARY KEY,
  PlanName TEXT NOT NULL,
  MonthlyPrice DECIMAL(10,2) NOT NULL,
  SeatLimit INTEGER,
  IsLegacy BOOLEAN NOT NULL DEFAULT 0
);
CREATE TABLE Accounts (
  AccountId INTEGER PRIMARY KEY,
  CompanyName TEXT NOT NULL,
  BillingCountry TEXT NOT NULL,
  Industry TEXT,
  CreatedAt DATETIME NOT NULL,
  AccountManager TEXT
);
CREATE TABLE Subscriptions (
  SubscriptionId INTEGER PRIMARY KEY,
  AccountId INTEGER NOT NULL REFERENCES Accounts(AccountId),
  PlanId INTEGER NOT NULL REFERENCES Plans(PlanId),
  StartDate DATE NOT NULL,
  EndDate DATE,
  Seats INTEGER NOT NULL,
  Status TEXT NOT NULL CHECK (Status IN ('active', 'canceled', 'trialing', 'past_due'))
);
CREATE TABLE Invoices (
  InvoiceId INTEGER PRIMARY KEY,
  SubscriptionId INTEGER NOT NULL REFERENCES Subscriptions(SubscriptionId),
  InvoiceNumber TEXT NOT NULL UNIQUE,
  IssuedOn DATE NOT NULL,
  DueOn DATE NOT NULL,
  AmountDue DECIMAL(12,2) NOT NULL,
  Currency TEXT NOT NULL DEFAULT 'USD',
  Status TEXT NOT NULL -- paid | open | void | uncollectible
);
CREATE TABLE Payments (
  PaymentId INTEGER PRIMARY KEY,
  InvoiceId INTEGER NOT NULL REFERENCES Invoices(InvoiceId),
  PaidAt DATETIME NOT NULL,
  Amount DECIMAL(12,2) NOT NULL,
  Method TEXT NOT NULL -- card | ach | wire
);

INSERT INTO Plans VALUES
  (1, 'Free', 0, 3, 0),
  (2, 'Starter', 29, 10, 0),
  (3, 'Growth', 99, 50, 0),
  (4, 'Enterprise', 499, NULL, 0),
  (5, 'Team Classic', 49, 25, 1),
  (6, 'Pro 2019', 79, 40, 1);

INSERT INTO Accounts VALUES
  (101, 'Northwind Traders', 'USA', 'Retail', '2022-01-14 09:30:00', 'Dana Whitfield'),
  (102, 'Blauwerk GmbH', 'Germany', 'Manufacturing', '2022-03-02 11:00:00', 'Lukas Brandt'),
  (103, 'Kestrel Analytics', 'United Kingdom', 'Software', '2022-06-21 15:45:00', NULL),
  (104, 'Sakura Logistics', 'Japan', 'Logistics', '2023-01-09 02:10:00', 'Dana Whitfield'),
  (105, 'Maple Health', 'Canada', 'Healthcare', '2023-02-17 13:20:00', 'Priya Raman'),
  (106, 'Fernhill Studio', 'United Kingdom', NULL, '2023-05-30 10:05:00', NULL),
  (107, 'Rheinland Energie', 'Germany', 'Energy', '2023-08-11 08:00:00', 'Lukas Brandt'),
  (108, 'Pinecrest Schools', 'USA', 'Education', '2023-11-03 16:40:00', 'Priya Raman'),
  (109, 'Atlas Freight', 'USA', 'Logistics', '2024-01-22 12:00:00', 'Dana Whitfield'),
  (110, 'Costa Verde Foods', 'Brazil', 'Retail', '2024-02-05 18:30:00', NULL);

INSERT INTO Subscriptions VALUES
  (1, 101, 3, '2022-01-15', NULL, 35, 'active'),
  (2, 102, 4, '2022-03-05', NULL, 120, 'active'),
  (3, 103, 5, '2022-07-01', '2023-06-30', 20, 'canceled'),
  (4, 103, 3, '2023-07-01', NULL, 28, 'active'),
  (5, 104, 2, '2023-01-10', NULL, 8, 'past_due'),
  (6, 105, 3, '2023-03-01', NULL, 45, 'active'),
  (7, 106, 1, '2023-06-01', NULL, 3, 'active'),
  (8, 107, 4, '2023-08-15', NULL, 300, 'active'),
  (9, 108, 2, '2023-11-05', '2024-05-04', 10, 'canceled'),
  (10, 109, 6, '2024-01-25', NULL, 30, 'active'),
  (11, 110, 2, '2024-02-06', NULL, 6, 'trialing'),
  (12, 101, 2, '2024-04-01', NULL, 12, 'active');

INSERT INTO Invoices VALUES
  (1, 1, 'INV-2024-0001', '2024-01-01', '2024-01-31', 3465.00, 'USD', 'paid'),
  (2, 2, 'INV-2024-0002', '2024-01-01', '2024-01-31', 59880.00, 'EUR', 'paid'),
  (3, 4, 'INV-2024-0003', '2024-01-01', '2024-01-31', 2772.00, 'GBP', 'paid'),
  (4, 5, 'INV-2024-0004', '2024-01-10', '2024-02-09', 232.00, 'JPY', 'uncollectible'),
  (5, 6, 'INV-2024-0005', '2024-02-01', '2024-03-02', 4455.00, 'USD', 'paid'),
  (6, 8, 'INV-2024-0006', '2024-02-15', '2024-03-16', 149700.00, 'EUR', 'paid'),
  (7, 9, 'INV-2024-0007', '2024-02-05', '2024-03-06', 290.00, 'USD', 'void'),
  (8, 10, 'INV-2024-0008', '2024-03-01', '2024-03-31', 2370.00, 'USD', 'paid'),
  (9, 1, 'INV-2024-0009', '2024-03-01', '2024-03-31', 3465.00, 'USD', 'paid'),
  (10, 5, 'INV-2024-0010', '2024-03-10', '2024-04-09', 232.00, 'JPY', 'open'),
  (11, 4, 'INV-2024-0011', '2024-03-15', '2024-04-14', 2772.00, 'GBP', 'open'),
  (12, 11, 'INV-2024-0012', '2024-03-20', '2024-04-19', 174.00, 'BRL', 'open'),
  (13, 12, 'INV-2024-0013', '2024-04-01', '2024-05-01', 348.00, 'USD', 'paid'),
  (14, 6, 'INV-2024-0014', '2024-05-01', '2024-05-31', 4455.00, 'USD', 'open'),
  (15, 2, 'INV-2024-0015', '2024-07-01', '2024-07-31', 59880.00, 'EUR', 'open'),
  (16, 8, 'INV-2024-0016', '2024-08-15', '2024-09-14', 149700.00, 'EUR', 'open');

INSERT INTO Payments VALUES
  (1, 1, '2024-01-20 10:12:00', 3465.00, 'card'),
  (2, 2, '2024-01-29 09:00:00', 59880.00, 'wire'),
  (3, 3, '2024-01-18 14:30:00', 1500.00, 'card'),
  (4, 3, '2024-01-30 14:31:00', 1272.00, 'card'),
  (5, 5, '2024-02-25 08:45:00', 4455.00, 'ach'),
  (6, 6, '2024-03-10 16:00:00', 100000.00, 'wire'),
  (7, 6, '2024-03-15 16:00:00', 49700.00, 'wire'),
  (8, 8, '2024-03-28 11:11:00', 2370.00, 'card'),
  (9, 9, '2024-03-30 10:00:00', 3465.00, 'card'),
  (10, 13, '2024-04-20 19:05:00', 348.00, 'card'),
  (11, 4, '2024-02-01 09:00:00', 100.00, 'card'),
  (12, 14, '2024-06-02 12:00:00', 2000.00, 'ach');
