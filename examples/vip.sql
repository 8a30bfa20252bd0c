SELECT email, first_name, city FROM customers WHERE lifetime_value >= 50 ORDER BY email
