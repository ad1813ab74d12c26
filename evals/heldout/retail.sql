-- Held-out suite: a retail chain's point-of-sale database (camelCase, singular tables).
-- Written by hand; never produced by the data generator and never used for training.
CREATE TABLE store (
  storeId INTEGER PRIMARY KEY,
  storeName TEXT NOT NULL,
  city TEXT NOT NULL,
  openedOn DATE,
  sqFootage INTEGER
);
CREATE TABLE productCategory (
  categoryId INTEGER PRIMARY KEY,
  categoryName TEXT NOT NULL,
  parentCategoryId INTEGER REFERENCES productCategory(categoryId)
);
CREATE TABLE product (
  productId INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  productName TEXT NOT NULL,
  categoryId INTEGER REFERENCES productCategory(categoryId),
  listPrice NUMERIC(8,2) NOT NULL,
  unitCost NUMERIC(8,2),
  discontinued INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE loyaltyMember (
  memberId INTEGER PRIMARY KEY,
  fullName TEXT NOT NULL,
  email TEXT,
  joinedOn DATE NOT NULL,
  tier TEXT NOT NULL -- bronze | silver | gold
);
CREATE TABLE salesReceipt (
  receiptId INTEGER PRIMARY KEY,
  storeId INTEGER NOT NULL REFERENCES store(storeId),
  memberId INTEGER REFERENCES loyaltyMember(memberId),
  soldAt DATETIME NOT NULL,
  paymentType TEXT NOT NULL -- cash | card | giftcard
);
CREATE TABLE receiptLine (
  receiptId INTEGER NOT NULL REFERENCES salesReceipt(receiptId),
  lineNo INTEGER NOT NULL,
  productId INTEGER NOT NULL REFERENCES product(productId),
  qty INTEGER NOT NULL,
  unitPrice NUMERIC(8,2) NOT NULL,
  PRIMARY KEY (receiptId, lineNo)
);

INSERT INTO store VALUES
  (1, 'Harborview', 'Seattle', '2015-05-01', 12000),
  (2, 'Pearl District', 'Portland', '2017-09-15', 9500),
  (3, 'Capitol Hill', 'Seattle', '2020-03-20', 7000),
  (4, 'Mission Bay', 'San Francisco', '2022-11-01', 15000),
  (5, 'Boise Towne', 'Boise', '2024-02-10', NULL);

INSERT INTO productCategory VALUES
  (1, 'Outdoor', NULL),
  (2, 'Camping', 1),
  (3, 'Footwear', NULL),
  (4, 'Hiking Boots', 3),
  (5, 'Apparel', NULL),
  (6, 'Rain Jackets', 5),
  (7, 'Accessories', NULL);

INSERT INTO product VALUES
  (1, 'TNT-2P-GRN', 'Ridgeline 2P Tent', 2, 289.00, 142.00, 0),
  (2, 'SLP-BAG-20', 'Summit 20F Sleeping Bag', 2, 179.00, 80.50, 0),
  (3, 'STV-MINI', 'Pocket Camp Stove', 2, 49.95, 18.20, 0),
  (4, 'BT-TRAIL-M', 'Trailblazer Boot Mens', 4, 165.00, 70.00, 0),
  (5, 'BT-TRAIL-W', 'Trailblazer Boot Womens', 4, 165.00, 70.00, 0),
  (6, 'JKT-RAIN-M', 'Stormshell Jacket', 6, 220.00, 95.00, 0),
  (7, 'SCK-WOOL', 'Merino Hiking Socks', 7, 22.00, 6.40, 0),
  (8, 'BTL-1L', 'Insulated Bottle 1L', 7, 34.50, 11.00, 0),
  (9, 'HDL-200', 'Headlamp 200 Lumen', 7, 39.00, NULL, 0),
  (10, 'TNT-1P-ORG', 'Solo Bivy Tent', 2, 199.00, 101.00, 1),
  (11, 'FLC-CLSC', 'Classic Fleece', 5, 89.00, 31.00, 1);

INSERT INTO loyaltyMember VALUES
  (1, 'Hannah Brooks', 'hannah.b@mail.example', '2019-04-02', 'gold'),
  (2, 'Diego Ramirez', 'diego.r@mail.example', '2021-07-19', 'silver'),
  (3, 'Olivia Nguyen', NULL, '2022-01-30', 'bronze'),
  (4, 'Samuel Okafor', 'sam.okafor@mail.example', '2023-05-14', 'gold'),
  (5, 'Ingrid Holm', 'ingrid.h@mail.example', '2024-03-01', 'bronze'),
  (6, 'Peter Zhang', 'p.zhang@mail.example', '2024-04-11', 'silver');

INSERT INTO salesReceipt VALUES
  (5001, 1, 1, '2024-04-01 10:15:00', 'card'),
  (5002, 1, NULL, '2024-04-01 12:40:00', 'cash'),
  (5003, 2, 2, '2024-04-02 17:05:00', 'card'),
  (5004, 3, 3, '2024-04-03 09:30:00', 'giftcard'),
  (5005, 4, 4, '2024-04-05 14:20:00', 'card'),
  (5006, 4, NULL, '2024-04-06 11:00:00', 'card'),
  (5007, 1, 1, '2024-04-12 16:45:00', 'card'),
  (5008, 2, NULL, '2024-04-13 13:10:00', 'cash'),
  (5009, 3, 2, '2024-05-02 18:00:00', 'card'),
  (5010, 4, 4, '2024-05-04 15:35:00', 'giftcard');

INSERT INTO receiptLine VALUES
  (5001, 1, 1, 1, 289.00),
  (5001, 2, 7, 3, 22.00),
  (5002, 1, 8, 2, 34.50),
  (5003, 1, 4, 1, 165.00),
  (5003, 2, 7, 2, 22.00),
  (5004, 1, 3, 1, 49.95),
  (5005, 1, 6, 2, 198.00),
  (5005, 2, 2, 1, 179.00),
  (5005, 3, 9, 1, 39.00),
  (5006, 1, 5, 1, 165.00),
  (5007, 1, 2, 1, 179.00),
  (5007, 2, 3, 2, 49.95),
  (5008, 1, 7, 4, 22.00),
  (5009, 1, 11, 1, 59.00),
  (5010, 1, 1, 1, 260.10),
  (5010, 2, 8, 1, 34.50);
