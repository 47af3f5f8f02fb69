"""Pages for shoppers' phones, served by the central service: what the kiosk's QR codes open.

A receipt's QR code opens the ticket's tracking page (`/T/<ticket>?t=<secret token>`), a route
QR code the route on the phone (`/R/<venue>/<origin>/<destination>/<mode>`). They are plain
HTML (no script), in Chinese or English, and keep nothing of the shopper's: see `pages`.
"""
