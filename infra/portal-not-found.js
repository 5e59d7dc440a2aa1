// The portal's own Arabic 404 for an address that is not one of its pages (issue 22, defect 11).
// A CloudFront Function (cloudfront-js-2.0) on the viewer-request event of the bucket's default
// behaviour only (infra/portal.yaml), so that the API's behaviours keep their own JSON 403 and 404
// answers. CloudFront's custom error responses would have replaced those too (they apply to the
// whole distribution), and a viewer-response function cannot help: CloudFront does not run one
// when the origin answers 400 or above. So the function decides before the bucket is asked: a
// page passes on to S3 unchanged; anything else is answered here, 404 with the built site's
// 404.html, at the address the citizen typed.
//
// `make package` (tools/build/package_template.py) writes SITE below for the stage: its pages
// (the ones every deployment has, and each active district's pages of each service it may offer)
// and the 404 page as `make publish` builds it. A district's services are written as their places
// in SITE.services, so that every district of the last phase fits CloudFront's 10 KB of code.
var SITE = {pages: {}, services: [], districts: {}, notFound: '', headers: {}};

var DISTRICT_PAGE = /^\/districts\/([a-z0-9_-]+)(?:\/([a-z0-9_-]+)(\/apply)?)?\.html$/;

function isPage(uri) {
    if (Object.prototype.hasOwnProperty.call(SITE.pages, uri)) {
        return true;
    }
    var match = DISTRICT_PAGE.exec(uri);
    if (match === null || !Object.prototype.hasOwnProperty.call(SITE.districts, match[1])) {
        return false;
    }
    return match[2] === undefined || SITE.districts[match[1]].indexOf(SITE.services.indexOf(match[2])) !== -1;
}

function handler(event) {
    var request = event.request;
    if (isPage(request.uri)) {
        return request;
    }
    return {
        statusCode: 404,
        statusDescription: 'Not Found',
        headers: SITE.headers,
        body: {encoding: 'base64', data: SITE.notFound},
    };
}
