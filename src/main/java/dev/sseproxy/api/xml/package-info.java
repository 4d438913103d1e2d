/**
 * The S3 XML wire format: {@link dev.sseproxy.api.xml.S3Xml} is the codec (S3's default namespace on
 * the root, elements in AWS's order, bounded input), and the document shapes are nested classes of
 * {@link dev.sseproxy.api.xml.Documents} (buckets, listings, deletes, copies, object attributes, POST
 * answers), {@link dev.sseproxy.api.xml.MultipartDocuments} (multipart uploads),
 * {@link dev.sseproxy.api.xml.SubresourceDocuments} (ACLs, tagging, versioning, public access blocks,
 * ownership controls, default encryption) and {@link dev.sseproxy.api.xml.InventoryXml} (S3 Inventory).
 * The native image registers these holders with their nested types ({@code image.NativeImage}).
 *
 * <p><b>Dependencies.</b> Jackson's XML module and {@code error} (a document that does not parse is
 * {@code MalformedXML}); nothing else of the proxy.
 */
package dev.sseproxy.api.xml;
