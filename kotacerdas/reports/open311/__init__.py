"""Open311 GeoReport v2 at /open311/v2/: the city's citizen reports for any Open311 client
(FixMyStreet, GeoReporter, dashboards), in XML and JSON.

Spec: http://wiki.open311.org/GeoReport_v2 (notes: shared/reference/open311.md §1).
Services are report categories; a service request is a public report and its
service_request_id the case's tracking code; the service definition's attributes are the
category's extra questions.

    GET  discovery.{xml,json}
    GET  services.{fmt}                   GET services/{service_code}.{fmt}
    POST requests.{fmt}  (api_key)        GET requests.{fmt}     GET requests/{id}.{fmt}
    GET  tokens/{token}.{fmt}             GET servicerequestupdates.{fmt}  (mySociety)

Confidential (rahasia) and rejected reports never appear; no answer names a reporter or
carries their e-mail, phone or account.
"""
