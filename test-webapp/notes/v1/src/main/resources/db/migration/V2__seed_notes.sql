INSERT INTO note (id, text) VALUES (1, 'Buy milk');
INSERT INTO note (id, text) VALUES (2, 'Renew the certificate');
