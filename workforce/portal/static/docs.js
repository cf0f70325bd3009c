// Starts Swagger UI on /docs (kept out of the page: the portal allows no inline script).
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (element && window.SwaggerUIBundle) {
    window.SwaggerUIBundle({ url: element.getAttribute("data-openapi"), dom_id: "#swagger-ui" });
  }
})();
