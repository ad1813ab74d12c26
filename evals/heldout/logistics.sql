-- Held-out suite: a freight/logistics operations database (snake_case, plural tables).
-- Written by hand; never produced by the data generator and never used for training.
CREATE TABLE depots (
  depot_id INTEGER PRIMARY KEY,
  depot_code VARCHAR(8) NOT NULL UNIQUE,
  city VARCHAR(60) NOT NULL,
  region VARCHAR(20) NOT NULL
);
CREATE TABLE drivers (
  driver_id INTEGER PRIMARY KEY,
  full_name VARCHAR(80) NOT NULL,
  license_class CHAR(2) NOT NULL,
  home_depot_id INTEGER REFERENCES depots(depot_id),
  hired_on DATE NOT NULL
);
CREATE TABLE trucks (
  truck_id INTEGER PRIMARY KEY,
  plate_no VARCHAR(12) NOT NULL UNIQUE,
  make VARCHAR(30),
  max_payload_kg INTEGER NOT NULL,
  depot_id INTEGER NOT NULL REFERENCES depots(depot_id),
  last_service_date DATE
);
CREATE TABLE customers (
  customer_id INTEGER PRIMARY KEY,
  customer_name VARCHAR(100) NOT NULL,
  city VARCHAR(60),
  contract_tier VARCHAR(10) -- gold | silver | spot
);
CREATE TABLE shipments (
  shipment_id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(customer_id),
  origin_depot_id INTEGER NOT NULL REFERENCES depots(depot_id),
  dest_city VARCHAR(60) NOT NULL,
  weight_kg REAL NOT NULL,
  pickup_ts TIMESTAMP NOT NULL,
  delivered_ts TIMESTAMP,
  status VARCHAR(12) NOT NULL, -- booked | in_transit | delivered | exception
  freight_charge DECIMAL(10,2) NOT NULL
);
CREATE TABLE trips (
  trip_id INTEGER PRIMARY KEY,
  shipment_id INTEGER NOT NULL REFERENCES shipments(shipment_id),
  truck_id INTEGER NOT NULL REFERENCES trucks(truck_id),
  driver_id INTEGER NOT NULL REFERENCES drivers(driver_id),
  distance_km INTEGER NOT NULL,
  fuel_liters REAL
);

INSERT INTO depots VALUES
  (1, 'CHI1', 'Chicago', 'Midwest'),
  (2, 'DAL1', 'Dallas', 'South'),
  (3, 'ATL1', 'Atlanta', 'South'),
  (4, 'LAX1', 'Los Angeles', 'West'),
  (5, 'NJ01', 'Newark', 'Northeast');

INSERT INTO drivers VALUES
  (1, 'Marcus Reed', 'CE', 1, '2016-05-02'),
  (2, 'Elena Popescu', 'CE', 1, '2019-08-19'),
  (3, 'Jamal Carter', 'C1', 2, '2021-03-15'),
  (4, 'Rosa Delgado', 'CE', 3, '2018-11-05'),
  (5, 'Hiroshi Sato', 'C', 4, '2022-06-27'),
  (6, 'Brian O''Neill', 'CE', 5, '2015-01-12'),
  (7, 'Fatou Diallo', 'C1', NULL, '2024-02-01');

INSERT INTO trucks VALUES
  (1, 'IL-7731', 'Freightliner', 24000, 1, '2024-01-15'),
  (2, 'IL-8802', 'Volvo', 22000, 1, '2023-10-02'),
  (3, 'TX-1190', 'Kenworth', 25000, 2, NULL),
  (4, 'GA-5521', 'Peterbilt', 23000, 3, '2024-02-20'),
  (5, 'CA-3307', 'Isuzu', 7000, 4, '2023-12-11'),
  (6, 'NJ-4410', 'Volvo', 21000, 5, '2024-03-01'),
  (7, 'TX-2281', 'Freightliner', 24000, 2, '2022-08-30');

INSERT INTO customers VALUES
  (1, 'Great Lakes Paper Co', 'Milwaukee', 'gold'),
  (2, 'Lone Star Appliances', 'Houston', 'silver'),
  (3, 'Peachtree Beverages', 'Atlanta', 'gold'),
  (4, 'Pacific Outdoor Gear', 'San Diego', 'spot'),
  (5, 'Hudson Pharma Supply', 'Newark', 'gold'),
  (6, 'Prairie Seed Cooperative', 'Des Moines', NULL),
  (7, 'Bayou Marine Parts', 'New Orleans', 'spot');

INSERT INTO shipments VALUES
  (1001, 1, 1, 'Detroit', 8200, '2024-03-01 06:00:00', '2024-03-01 15:30:00', 'delivered', 1450.00),
  (1002, 2, 2, 'Houston', 15600, '2024-03-02 05:30:00', '2024-03-02 11:10:00', 'delivered', 980.00),
  (1003, 3, 3, 'Charlotte', 12100, '2024-03-03 07:15:00', '2024-03-03 14:00:00', 'delivered', 1210.00),
  (1004, 4, 4, 'Phoenix', 4300, '2024-03-04 04:00:00', '2024-03-05 09:20:00', 'delivered', 2100.00),
  (1005, 5, 5, 'Philadelphia', 2100, '2024-03-04 08:00:00', NULL, 'exception', 640.00),
  (1006, 1, 1, 'Minneapolis', 19800, '2024-03-06 05:00:00', '2024-03-06 19:45:00', 'delivered', 2650.00),
  (1007, 3, 3, 'Miami', 9900, '2024-03-08 06:30:00', NULL, 'in_transit', 2380.00),
  (1008, 2, 2, 'San Antonio', 21000, '2024-03-09 05:45:00', '2024-03-09 10:05:00', 'delivered', 870.00),
  (1009, 5, 5, 'Boston', 3600, '2024-03-11 07:00:00', '2024-03-11 13:15:00', 'delivered', 1020.00),
  (1010, 4, 4, 'Las Vegas', 5100, '2024-03-12 03:30:00', NULL, 'in_transit', 1480.00),
  (1011, 1, 1, 'Indianapolis', 7400, '2024-03-14 06:10:00', '2024-03-14 10:40:00', 'delivered', 760.00),
  (1012, 7, 2, 'New Orleans', 11200, '2024-03-15 05:00:00', NULL, 'booked', 1750.00);

INSERT INTO trips VALUES
  (1, 1001, 1, 1, 455, 168.5),
  (2, 1002, 3, 3, 385, 151.0),
  (3, 1003, 4, 4, 395, 149.2),
  (4, 1004, 5, 5, 595, 88.0),
  (5, 1005, 6, 6, 140, NULL),
  (6, 1006, 2, 2, 655, 261.7),
  (7, 1007, 4, 4, 1060, 402.3),
  (8, 1008, 7, 4, 440, 170.4),
  (9, 1009, 6, 6, 350, 118.9),
  (10, 1010, 5, 5, 435, 71.6),
  (11, 1011, 1, 2, 295, 104.0),
  (12, 1006, 1, 1, 655, 255.0);
