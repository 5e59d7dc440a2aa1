"""What the routes share to read a request and shape its answer: bodies, forms, errors, pages, Open311's XML."""
