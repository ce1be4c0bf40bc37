// The API's page (/docs): Swagger UI over the app's own schema. A file, not an inline script, so
// the Content-Security-Policy stays `script-src 'self'`.
(function () {
  "use strict";
  window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // Swagger UI's default names validator.swagger.io, where its standalone layout sends the
    // schema's address for a badge: nothing may leave for another host.
    validatorUrl: null
  });
})();
