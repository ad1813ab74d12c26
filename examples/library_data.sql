INSERT INTO authors VALUES
  (1, 'Ursula K. Le Guin', 1929), (2, 'Italo Calvino', 1923), (3, 'Toni Morrison', 1931),
  (4, 'Jorge Luis Borges', 1899);

INSERT INTO books VALUES
  (1, 'A Wizard of Earthsea', 1, 1968, '9780547773742'),
  (2, 'The Left Hand of Darkness', 1, 1969, '9780441478125'),
  (3, 'Invisible Cities', 2, 1972, '9780156453806'),
  (4, 'If on a winter''s night a traveler', 2, 1979, '9780156439619'),
  (5, 'Beloved', 3, 1987, '9781400033416'),
  (6, 'Ficciones', 4, 1944, '9780802130303');

INSERT INTO members VALUES
  (1, 'Maya Chen', '2023-09-01'), (2, 'Tom Okafor', '2024-01-10'), (3, 'Lena Fischer', '2024-03-22');

INSERT INTO loans VALUES
  (1, 1, 1, '2024-02-01', '2024-02-20'),
  (2, 3, 1, '2024-03-05', '2024-03-19'),
  (3, 5, 2, '2024-03-07', NULL),
  (4, 3, 3, '2024-04-01', '2024-04-15'),
  (5, 6, 2, '2024-04-18', NULL),
  (6, 2, 3, '2024-05-02', '2024-05-30'),
  (7, 3, 2, '2024-06-11', NULL);
