INSERT INTO customers VALUES
  (1, 'Ada Lovelace', 'ada@example.com', 'London', 'UK', '2024-01-15'),
  (2, 'Alan Turing', 'alan@example.com', 'Manchester', 'UK', '2024-02-03'),
  (3, 'Grace Hopper', 'grace@example.com', 'New York', 'USA', '2024-02-20'),
  (4, 'Edsger Dijkstra', 'edsger@example.com', 'Amsterdam', 'Netherlands', '2024-03-11'),
  (5, 'Barbara Liskov', 'barbara@example.com', 'Boston', 'USA', '2024-04-02'),
  (6, 'Donald Knuth', 'don@example.com', 'Stanford', 'USA', '2024-05-19'),
  (7, 'Margaret Hamilton', 'margaret@example.com', 'Boston', 'USA', '2024-06-07'),
  (8, 'Niklaus Wirth', NULL, 'Zurich', 'Switzerland', '2024-07-23');

INSERT INTO products VALUES
  (1, 'Mechanical keyboard', 'peripherals', 89.90),
  (2, 'Wireless mouse', 'peripherals', 24.50),
  (3, '27-inch monitor', 'displays', 249.00),
  (4, 'USB-C hub', 'accessories', 39.99),
  (5, 'Laptop stand', 'accessories', 29.00),
  (6, 'Noise-cancelling headphones', 'audio', 179.00),
  (7, 'Webcam', 'peripherals', 59.00);

INSERT INTO orders VALUES
  (1, 1, '2024-03-01', 'delivered'),
  (2, 1, '2024-04-12', 'delivered'),
  (3, 2, '2024-04-15', 'shipped'),
  (4, 3, '2024-05-02', 'delivered'),
  (5, 3, '2024-05-20', 'cancelled'),
  (6, 3, '2024-06-30', 'delivered'),
  (7, 4, '2024-07-04', 'pending'),
  (8, 5, '2024-07-18', 'delivered'),
  (9, 6, '2024-08-09', 'shipped'),
  (10, 6, '2024-08-21', 'delivered'),
  (11, 7, '2024-09-13', 'pending'),
  (12, 1, '2024-10-01', 'shipped');

INSERT INTO order_items VALUES
  (1, 1, 1, 89.90), (1, 2, 1, 24.50),
  (2, 3, 2, 249.00),
  (3, 4, 1, 39.99), (3, 5, 1, 29.00),
  (4, 6, 1, 179.00),
  (5, 7, 1, 59.00),
  (6, 2, 3, 24.50), (6, 4, 1, 39.99),
  (7, 1, 1, 89.90),
  (8, 3, 1, 249.00), (8, 5, 2, 29.00),
  (9, 6, 1, 169.00),
  (10, 7, 2, 59.00),
  (11, 2, 1, 24.50),
  (12, 5, 1, 29.00), (12, 6, 1, 179.00);
